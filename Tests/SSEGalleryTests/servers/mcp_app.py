#!/usr/bin/env python3
"""An MCP server from the MCP Python SDK (`mcp` on PyPI), serving Streamable HTTP on uvicorn.

    .venv/bin/python mcp_app.py     # prints "listening on 127.0.0.1:<n>"; exits when stdin closes

POST /mcp   JSON-RPC; with json_response off the SDK answers each request POST with a text/event-stream that
            carries the response, then ends. One tool, `add`. (`MCPServer` is mcp 2's name for FastMCP.)
"""

import asyncio

import uvicorn
from mcp.server.mcpserver import MCPServer

from peer_common import announce, exit_when_stdin_closes, listening_socket

mcp = MCPServer("sse-conformance-peer")


@mcp.tool()
def add(a: int, b: int) -> int:
    """Adds two numbers."""
    return a + b


app = mcp.streamable_http_app(json_response=False)

if __name__ == "__main__":
    sock = listening_socket()
    exit_when_stdin_closes()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    announce(sock)
    asyncio.run(server.serve(sockets=[sock]))
