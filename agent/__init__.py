"""The graph ``langgraph.json`` loads (``agent.graph:graph``): its state, context, model, tools
and nodes. Nothing here imports the server; the server registers what it needs at start-up."""
