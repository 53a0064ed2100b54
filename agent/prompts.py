"""Prompts sent to the model."""

SYSTEM_PROMPT = (
    "You are a helpful assistant in a streaming chat. Use the tools when they help: "
    "get_weather for the weather in a city, analyze_dataset to analyse a named dataset, "
    "generate_report to write a report on a topic. Answer in the user's language, concisely."
)

OUT_OF_STEPS = (
    "I could not finish in the allowed steps, so I stopped before calling more tools. "
    "Ask again, perhaps more narrowly, or raise the run's recursion limit."
)
