"""The Japanese font a PDF embeds.

ReportLab embeds a subset of a TrueType font (glyf outlines; OpenType fonts with CFF outlines,
such as Noto Sans CJK, it cannot embed), so the PDF needs a Japanese TrueType file:

1. the file named by the environment variable ``JLIS_LEDGER_FONT``, if set;
2. else IPAex明朝 (``ipaexm.ttf``; IPA Font License v1.0, which allows embedding it in
   documents), installed by ``make print-tools`` (Debian's ``fonts-ipaexfont-mincho``), or IPA明朝
   (``ipam.ttf``, ``fonts-ipafont-mincho``) where it is found in the usual places.

A missing font is one :class:`FontError` saying what to install; nothing is downloaded.
"""

from __future__ import annotations

import os
from pathlib import Path

from jlis_ledger.render.files import OutputError

ENV = "JLIS_LEDGER_FONT"
NAME = "jlis-ledger-ja"  # the name the PDF writer registers the font under
#: Where the IPA fonts are installed (Debian and Ubuntu, Fedora, macOS and Windows user installs).
CANDIDATES = (
    "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
    "/usr/share/fonts/truetype/ipaexfont-mincho/ipaexm.ttf",
    "/usr/share/fonts/ipa-ex-mincho/ipaexm.ttf",
    "/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-mincho.ttf",
    "/usr/share/fonts/ipa-mincho/ipam.ttf",
    "~/Library/Fonts/ipaexm.ttf",
    "/Library/Fonts/ipaexm.ttf",
    "~/AppData/Local/Microsoft/Windows/Fonts/ipaexm.ttf",
    "C:/Windows/Fonts/ipaexm.ttf",
)


class FontError(OutputError):
    """No Japanese TrueType font to embed; the message says what to install."""


def font_file() -> Path:
    """The TrueType file the PDF embeds (see the module docstring)."""
    named = os.environ.get(ENV)
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise FontError(f"{ENV}={named}: no such font file")
        return path
    for candidate in CANDIDATES:
        path = Path(candidate).expanduser()
        if path.is_file():
            return path
    raise FontError(f"no Japanese TrueType font to embed in the PDF: install IPAex明朝 (make print-tools, or the "
                    f"package fonts-ipaexfont-mincho) or set {ENV} to a .ttf file")


def register() -> str:
    """Register the font with ReportLab (once) and return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    if NAME in pdfmetrics.getRegisteredFontNames():
        return NAME
    path = font_file()
    try:
        pdfmetrics.registerFont(TTFont(NAME, str(path)))
    except TTFError as error:
        raise FontError(f"{path}: cannot embed this font ({error}); a TrueType (glyf) font is needed") from None
    return NAME


__all__ = ["CANDIDATES", "ENV", "NAME", "FontError", "font_file", "register"]
