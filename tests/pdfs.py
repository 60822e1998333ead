"""Reading back the PDFs the app makes (posters): text and QR codes of the first page, embedded fonts."""

import re
import zlib

import pypdfium2
import zxingcpp


def read_pdf(content):
    """(number of pages, text of the first page, the QR codes' texts on the first page rasterised)."""
    document = pypdfium2.PdfDocument(content)
    try:
        page = document[0]
        text = page.get_textpage().get_text_range()
        image = page.render(scale=2).to_pil()
        return len(document), text, [code.text for code in zxingcpp.read_barcodes(image)]
    finally:
        document.close()


def embedded_fonts(content):
    """The names of the fonts embedded in a PDF (WeasyPrint compresses its objects into streams)."""
    data = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            data.append(zlib.decompress(stream))
        except zlib.error:
            continue  # not compressed: already in `content`
    names = re.findall(rb"/BaseFont\s*/([\w+-]+)", b"".join(data))
    return {name.split(b"+")[-1].decode() for name in names}
