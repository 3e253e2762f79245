import io

import pytest
from pypdf import PdfReader

from dxgrant.core import pdf as pdf_module

pytestmark = pytest.mark.django_db
URL = "/rounds/dx-2025-r1/guidelines.pdf"


@pytest.fixture
def guidelines(client, programme) -> PdfReader:
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(response.content))


def embedded_fonts(reader: PdfReader) -> set[str]:
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            if descriptor is not None and any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                fonts.add(str(font["/BaseFont"]))
    return fonts


def test_the_guidelines_read_back_in_japanese(guidelines):
    # Line breaks fall where the layout puts them; compare the running text.
    text = "".join(page.extract_text() for page in guidelines.pages).replace("\n", "")
    for expected in (
        "中小企業DX経営高度化推進支援制度",
        "募集要項",
        "2025年11月1日",
        "令和8年4月30日",
        "100,000,000円",
        "従業員が100人以下",
        "実施計画の実現性",
        "03-6457-5845",
        "履歴事項全部証明書",
    ):
        assert expected in text, expected
    assert len(guidelines.pages) >= 2


def test_the_japanese_font_is_embedded(guidelines):
    fonts = embedded_fonts(guidelines)
    assert fonts, "no embedded fonts"
    assert all("IPAex" in name for name in fonts), fonts


def test_without_a_japanese_font_the_pdf_is_refused_clearly(client, programme, settings):
    pdf_module._find_font.cache_clear()
    settings.DXGRANT_PDF_FONT_PATH = "/nonexistent/ipaexg.ttf"
    try:
        with pytest.raises(pdf_module.JapaneseFontMissing, match="fonts-ipaexfont"):
            pdf_module.render_pdf("public/guidelines_pdf.html", {})
        response = client.get(URL)
        assert response.status_code == 503
        assert "PDFを作成できません" in response.content.decode()
    finally:
        pdf_module._find_font.cache_clear()


def test_the_pdf_is_rendered_once_and_again_after_the_round_changes(client, programme, monkeypatch):
    from dxgrant.programs.models import Round
    from dxgrant.public.views import site as views

    calls = []
    real = views.render_pdf
    monkeypatch.setattr(views, "render_pdf", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = client.get(URL).content
    assert client.get(URL).content == first
    assert len(calls) == 1
    round1 = Round.objects.get(code="dx-2025-r1")
    round1.name_ja = "2025年度 第1回公募（改訂）"
    round1.save()
    client.get(URL)
    assert len(calls) == 2
