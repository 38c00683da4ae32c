"""Tiny PDFs written by hand for the reader's tests: Chinese lines in a Type0 font whose ToUnicode map
gives the text layer (as Word's or WPS's "save as PDF" does), and a page with no text (a scan)."""

from __future__ import annotations


def _pdf(objects: list[bytes]) -> bytes:
    """Objects numbered from 1 (the first is the catalog), with a cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def text_pdf(lines: list[str]) -> bytes:
    """One A4 page, one line of text per item, each character's code its Unicode code point."""
    chars = sorted({ch for line in lines for ch in line})
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test def /CMapType 2 def\n"
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        + b"%d beginbfchar\n" % len(chars)
        + b"".join(b"<%04X> <%04X>\n" % (ord(ch), ord(ch)) for ch in chars)
        + b"endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    content = b"BT /F1 10 Tf 40 800 Td 14 TL\n" + b"".join(
        b"<" + line.encode("utf-16-be").hex().upper().encode() + b"> Tj T*\n" for line in lines
    ) + b"ET"
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /DW 1000"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        _stream(cmap),
    ])


def scanned_pdf() -> bytes:
    """A page with nothing but a picture where the text would be: no text layer at all."""
    pixels = b"\x00\xff" * 32
    image = b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n" % len(pixels)
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(b"q 500 0 0 700 40 60 cm /Im1 Do Q"),
        image + pixels + b"\nendstream",
    ])
