"""The wire contract between the server and every client: the events (``contract.events``).
It imports neither the graph nor the server, so a client can ship without both."""
