"""Daily, weekly and monthly reports per mine, shipper and carrier: rows from the history SQL, XLSX and print HTML.

The job runs the report SQL over the newest table export (DuckDB locally, Athena in AWS), never the live
tables, and keeps each party's files (local directory, or the analytics bucket) with a listing item.
"""

import html
import io
import os
from datetime import date, timedelta

KINDS = ("mine", "shipper", "carrier")
CADENCES = ("daily", "weekly", "monthly")
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html",
}
# Column heads of the printed layouts, in both languages (the XLSX keeps the machine names for formulas).
HEADS = {
    "day": "日期 Day",
    "planned": "计划 Planned",
    "delivered": "送达 Delivered",
    "fulfilment": "兑现率 Fulfilment",
    "net_t": "装车 Net t",
    "received_t": "签收 Received t",
    "loss_t": "亏吨 Loss t",
}
KIND_WORDS = {"mine": "矿点 Mine", "shipper": "货主 Shipper", "carrier": "承运商 Carrier"}
PDF_FONT = "STSong-Light"  # one of reportlab's built-in CID fonts: Chinese without shipping a font file
COLUMNS = ("day", "planned", "delivered", "fulfilment", "net_t", "received_t", "loss_t")
TITLES = {"daily": "日报 Daily supervision", "weekly": "周报 Weekly notice", "monthly": "月报 Monthly assessment"}
EPOCH = date(1970, 1, 1)


def periods_due(day):
    """[(cadence, start, end)] due after a finished day: its daily; the week on Sundays; the month on its last."""
    due = [("daily", day, day)]
    if day.weekday() == 6:
        due.append(("weekly", day - timedelta(days=6), day))
    if (day + timedelta(days=1)).day == 1:
        due.append(("monthly", day.replace(day=1), day))
    return due


def party_rows(sql_rows, start, end):
    """{(kind, party): [row per day]} from the SQL's rows, days as dates, weights in tonnes."""
    out = {}
    for r in sql_rows:
        day = EPOCH + timedelta(days=int(r["day_index"]))
        if not start <= day <= end:
            continue
        planned, delivered = int(r["planned"]), int(r["delivered"])
        net, received = int(r["net_kg"] or 0), int(r["received_kg"] or 0)
        row = {
            "day": day.isoformat(),
            "planned": planned,
            "delivered": delivered,
            "fulfilment": round(delivered / planned, 4) if planned else None,
            "net_t": round(net / 1000, 3),
            "received_t": round(received / 1000, 3),
            "loss_t": round(max(0, net - received) / 1000, 3) if received else 0,
        }
        out.setdefault((r["kind"], r["party"]), []).append(row)
    return {k: sorted(v, key=lambda x: x["day"]) for k, v in out.items()}


def totals(rows):
    """The period's sums (and its fulfilment rate)."""
    sums = {c: round(sum(r[c] for r in rows), 3) for c in ("planned", "delivered", "net_t", "received_t", "loss_t")}
    sums["fulfilment"] = round(sums["delivered"] / sums["planned"], 4) if sums["planned"] else None
    return sums


def xlsx(listing, rows):
    """The report as a workbook: one sheet, a title line, the days, a totals line."""
    from openpyxl import Workbook  # only when a report is written

    book = Workbook()
    sheet = book.active
    sheet.title = listing["cadence"]
    sheet.append([TITLES[listing["cadence"]], listing["kind"], listing["party"], listing["start"], listing["end"]])
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
    sheet.append(["total"] + [listing["totals"][c] for c in COLUMNS[1:]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def printable(listing, rows):
    """The report as one printable HTML page (A4 landscape; the browser prints it to PDF)."""
    cell = lambda v: "—" if v is None else html.escape(str(v))  # noqa: E731
    head = "".join(f"<th>{c}</th>" for c in COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{cell(r[c])}</td>" for c in COLUMNS) + "</tr>" for r in rows)
    total = "<tr><th>total</th>" + "".join(f"<th>{cell(listing['totals'][c])}</th>" for c in COLUMNS[1:]) + "</tr>"
    title = _title(listing)
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f'<table border="1" cellpadding="4" cellspacing="0"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody><tfoot>{total}</tfoot></table></body></html>"
    ).encode()


def _title(listing):
    party = listing.get("party_name") or listing["party"]
    return (
        f"{TITLES[listing['cadence']]} · {KIND_WORDS[listing['kind']]} {party} · {listing['start']} – {listing['end']}"
    )


def pdf(listing, rows):
    """The report as a PDF (A4 landscape): the title, the days' table (its head repeated on every page), totals,
    and 第 n 页 / page n at the foot of each page."""
    from reportlab.lib import colors  # only when a report is written
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    title_style = getSampleStyleSheet()["Title"].clone("report-title", fontName=PDF_FONT, fontSize=16, leading=22)
    cell = lambda v: "—" if v is None else str(v)  # noqa: E731
    data = [[HEADS[c] for c in COLUMNS]]
    data += [[cell(r[c]) for c in COLUMNS] for r in rows]
    data.append(["合计 Total"] + [cell(listing["totals"][c]) for c in COLUMNS[1:]])
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), PDF_FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f3f3")),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ]
        )
    )

    def foot(canvas, doc):
        canvas.saveState()
        canvas.setFont(PDF_FONT, 9)
        canvas.drawRightString(doc.pagesize[0] - 15 * mm, 10 * mm, f"第 {doc.page} 页 · page {doc.page}")
        canvas.restoreState()

    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=landscape(A4), title=_title(listing), topMargin=15 * mm, bottomMargin=18 * mm
    )
    document.build([Paragraph(html.escape(_title(listing)), title_style), table], onFirstPage=foot, onLaterPages=foot)
    return out.getvalue()


def file_key(listing, fmt):
    return f"reports/{listing['cadence']}/{listing['start']}/{listing['kind']}/{listing['party']}.{fmt}"


def save_file(key, body):
    """Keep a report file: the analytics bucket in AWS, the local analytics directory otherwise."""
    from backend.analytics.export import root
    from backend.config import setting

    if setting("ANALYTICS_BUCKET") and not setting("DYNAMODB_HOST"):
        import boto3

        boto3.client("s3").put_object(Bucket=setting("ANALYTICS_BUCKET"), Key=key, Body=body)
        return
    path = os.path.join(root(), key)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(body)


def load_file(key):
    from backend.analytics.export import root
    from backend.config import setting

    if setting("ANALYTICS_BUCKET") and not setting("DYNAMODB_HOST"):
        import boto3

        return boto3.client("s3").get_object(Bucket=setting("ANALYTICS_BUCKET"), Key=key)["Body"].read()
    with open(os.path.join(root(), key), "rb") as handle:
        return handle.read()
