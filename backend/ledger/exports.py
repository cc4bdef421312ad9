"""Statements as files: CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese memos) and XLSX."""

import csv
import io
from datetime import datetime

from flask import current_app

from backend.common.clock import SHANGHAI

HEADER = (
    "time (Asia/Shanghai)",
    "entry",
    "memo",
    "waybill",
    "order",
    "amount (yuan)",
    "balance (yuan)",
    "excl. VAT (yuan)",
    "VAT 9% (yuan)",
)
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def yuan(fen):
    """Integer fen as a yuan string with two decimals, exactly (no float)."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def _time(ms):
    return datetime.fromtimestamp(ms / 1000, tz=SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def rows(pages):
    """The statement's rows: opening, one per entry (linked to its waybill), closing with the period's VAT totals."""
    first, last = pages[0], pages[-1]
    yield ("", "", "opening balance", "", "", "", yuan(first["opening_balance"]), "", "")
    for page in pages:
        for e in page["entries"]:
            invoice = e["invoice"] or {}
            yield (
                _time(e["at"]),
                e["entry_id"],
                e["memo"],
                e["waybill_id"] or "",
                e["order_id"] or "",
                yuan(e["amount"]),
                yuan(e["balance_after"]),
                yuan(invoice.get("amount_excl_tax")),
                yuan(invoice.get("tax")),
            )
    totals = last["totals"]
    yield (
        "",
        "",
        "closing balance",
        "",
        "",
        "",
        yuan(last["closing_balance"]),
        yuan(totals["excl_tax"]),
        yuan(totals["tax"]),
    )


def render(fmt, pages, *, account_id):
    """A download response of the statement pages."""
    body = _csv(pages) if fmt == "csv" else _xlsx(pages)
    response = current_app.response_class(body, mimetype=MIMETYPES[fmt])
    name = f"statement-{account_id.replace(':', '-')}-{pages[0]['start_ms']}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _csv(pages):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows(pages))
    return "\ufeff" + out.getvalue()


def _xlsx(pages):
    from openpyxl import Workbook  # ~0.1 s to import: only when a spreadsheet is asked for, never at cold start

    book = Workbook(write_only=True)
    sheet = book.create_sheet("statement")
    sheet.append(HEADER)
    for row in rows(pages):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
