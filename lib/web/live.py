"""GET /api/listings/{id}/stock: what a listing page's viewers poll instead of each rerunning the page.

The figure is read at most once a second for all viewers together (lib.services.commerce.shop.stock_now),
so a crowd parked on a drop costs one small query a second, not a script run per viewer per tick.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lib.runtime import app_context
from lib.services.commerce import shop

MAX_ID = 2**31 - 1


async def listing_stock(request: Request) -> Response:
    listing_id = request.path_params["listing_id"]
    if not 0 < listing_id <= MAX_ID:
        return JSONResponse({"error": "no such listing"}, status_code=404)
    ctx = await run_in_threadpool(app_context)
    stock = await run_in_threadpool(shop.stock_now, ctx, listing_id)
    if stock is None:
        return JSONResponse({"error": "no such listing"}, status_code=404)
    return JSONResponse({"units_left": stock.units_left, "on_sale": stock.on_sale},
                        headers={"Cache-Control": f"public, max-age={int(shop.STOCK_SECONDS)}"})
