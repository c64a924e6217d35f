"""The baseline of ``bench.verify``: a bare Litestar JSON endpoint, nothing else.

uvicorn bench.bare_app:app --workers 1
"""

from __future__ import annotations

from litestar import Litestar, get


@get("/bare/{token:str}", sync_to_thread=False)
async def bare(token: str) -> dict[str, str]:
    return {"status": "valid", "token": token[:8]}


app = Litestar(route_handlers=[bare], logging_config=None)
