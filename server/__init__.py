"""The HTTP boundary around the graph, loaded by ``langgraph.json``: who may call (``auth``),
what may run (``admission``, ``thread_fit``, ``fairness``), the ``http.app`` with its middleware
and the direct routes, and the glue for MCP, A2A and the dev runtime."""
