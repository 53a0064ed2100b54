"""Plain SSE and WebSocket chat routes, served by the LangGraph server itself (``http.app``).

For clients that do not speak the LangGraph SDK: a browser ``EventSource``, ``curl``, a mobile
app. The graph runs in-process, with no run queue and no stored thread, for the lowest latency.
"""
