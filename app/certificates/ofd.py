"""The certificate as an OFD document (GB/T 33190-2016) sealed with the station's SM2 electronic seal (GB/T 38540).

Written with the standard library (zipfile, ElementTree): no PyPI package writes OFD well. `easyofd` (Apache-2.0)
converts PDF to OFD as page images and reads OFD, but pulls in PyMuPDF (AGPL) and has no signing; the other OFD
packages are unmaintained readers. It serves the tests as an independent reader instead.

The package: OFD.xml (document info, with the registration number and version as custom data), Doc_0/Document.xml,
Doc_0/PublicRes.xml (the fonts, by name: readers substitute their Song/Hei fonts), Doc_0/DocumentRes.xml (the QR
code picture), Doc_0/Pages/Page_0/Content.xml (the text, the frame, the QR code), and the seal:
Doc_0/Signs/Signatures.xml, Sign_0/Signature.xml (SM3 digests of every other part, and where the stamp goes),
Sign_0/SignedValue.dat (the SES_Signature over SM3(Signature.xml)) and Sign_0/Seal.esl (the SESeal).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import zipfile
from xml.etree import ElementTree

from asn1crypto import x509 as asn1_x509

from app.certificates import ses
from app.certificates.data import CertificateData
from app.certificates.marks import SEAL_MOTTO, qr_png, seal_png
from app.certificates.render import certificate_context
from app.certificates.sm2pki import SM2_WITH_SM3, SM3, Sm2Signer, sm3_digest

NS = "http://www.ofdspec.org/2016"
ElementTree.register_namespace("ofd", NS)
OFD_MEDIA_TYPE = "application/ofd"
CUSTOM_NUMBER = "TCR-Registration-Number"
CUSTOM_VERSION = "TCR-Version"
SIGNATURES = "Doc_0/Signs/Signatures.xml"
SIGNATURE = "Doc_0/Signs/Sign_0/Signature.xml"
SIGNED_VALUE = "Doc_0/Signs/Sign_0/SignedValue.dat"
SEAL_FILE = "Doc_0/Signs/Sign_0/Seal.esl"
SIGNATURE_PARTS = frozenset({SIGNATURES, SIGNATURE, SIGNED_VALUE, SEAL_FILE})
PAGE_WIDTH, PAGE_HEIGHT = 210, 297  # mm, A4
FONT_SONG, FONT_HEI = "2", "3"
QR_IMAGE = "4"
SEAL_BOX = (138.0, 222.0, 40.0, 40.0)  # x, y, width, height in mm, over the station's name and the date
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed entry times: the same content makes the same parts


def q(tag: str) -> str:
    """The qualified name of an OFD element."""
    return f"{{{NS}}}{tag}"


def _element(tag: str, attributes: dict | None = None, text: str | None = None, *children) -> ElementTree.Element:
    node = ElementTree.Element(q(tag), {k: str(v) for k, v in (attributes or {}).items()})
    if text is not None:
        node.text = text
    node.extend(children)
    return node


def _xml(root: ElementTree.Element) -> bytes:
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def build_ofd(data: CertificateData, signer: Sm2Signer, seal: ses.SESeal, signed_at: dt.datetime) -> bytes:
    """The sealed OFD of a certificate: `signer` is the station's SM2 key and certificate, `seal` its electronic
    seal (made by the bureau, see `station_seal`)."""
    parts = _document_parts(data)
    parts[SIGNATURES] = _xml(
        _element(
            "Signatures",
            None,
            None,
            _element("MaxSignId", None, "1"),
            _element("Signature", {"ID": "1", "Type": "Seal", "BaseLoc": f"/{SIGNATURE}"}),
        )
    )
    parts[SIGNATURE] = _signature_xml(parts, data, signed_at)
    parts[SEAL_FILE] = seal.dump()
    parts[SIGNED_VALUE] = ses.sign(signer, seal, sm3_digest(parts[SIGNATURE]), f"/{SIGNATURE}", signed_at)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def station_seal(
    holder: asn1_x509.Certificate, maker: Sm2Signer, station_name: str, station_code: str, font, now: dt.datetime
) -> ses.SESeal:
    """A station's electronic seal, made by the bureau (`maker`): its name, its picture drawn with `font` ((file,
    index) or None) at the size the stamp takes on the page, and the station's SM2 certificate as the holder."""
    picture = ses.SealPicture(seal_png(station_name, *(font or (None, 0))), int(SEAL_BOX[2]), int(SEAL_BOX[3]))
    return ses.make_seal(holder, maker, f"{station_name}{SEAL_MOTTO}", picture, f"TCR-{station_code}", now)


def _document_parts(data: CertificateData) -> dict[str, bytes]:
    """Every part but the signature's: the parts the seal protects."""
    doc_id = hashlib.sha256(f"{data.registration_number}/{data.version}/{data.check_code}".encode()).hexdigest()[:32]
    info = _element(
        "DocInfo",
        None,
        None,
        _element("DocID", None, doc_id),
        _element("Title", None, f"技术合同认定登记证明 {data.registration_number}"),
        _element("Author", None, data.station_name),
        _element("CreationDate", None, data.issued_on.isoformat()),
        _element("Creator", None, "TCR"),
        _element(
            "CustomDatas",
            None,
            None,
            _element("CustomData", {"Name": CUSTOM_NUMBER}, data.registration_number),
            _element("CustomData", {"Name": CUSTOM_VERSION}, str(data.version)),
        ),
    )
    body = _element(
        "DocBody",
        None,
        None,
        info,
        _element("DocRoot", None, "Doc_0/Document.xml"),
        _element("Signatures", None, SIGNATURES),
    )
    content, max_id = _page_content(data)
    return {
        "OFD.xml": _xml(_element("OFD", {"DocType": "OFD", "Version": "1.1"}, None, body)),
        "Doc_0/Document.xml": _xml(_document_xml(max_id)),
        "Doc_0/PublicRes.xml": _xml(
            _element(
                "Res",
                {"BaseLoc": "Res"},
                None,
                _element(
                    "Fonts",
                    None,
                    None,
                    _element("Font", {"ID": FONT_SONG, "FontName": "宋体", "FamilyName": "宋体"}),
                    _element("Font", {"ID": FONT_HEI, "FontName": "黑体", "FamilyName": "黑体", "Bold": "true"}),
                ),
            )
        ),
        "Doc_0/DocumentRes.xml": _xml(
            _element(
                "Res",
                {"BaseLoc": "Res"},
                None,
                _element(
                    "MultiMedias",
                    None,
                    None,
                    _element(
                        "MultiMedia",
                        {"ID": QR_IMAGE, "Type": "Image", "Format": "PNG"},
                        None,
                        _element("MediaFile", None, "qr.png"),
                    ),
                ),
            )
        ),
        "Doc_0/Res/qr.png": qr_png(data.verify_url),
        "Doc_0/Pages/Page_0/Content.xml": content,
    }


def _document_xml(max_id: int) -> ElementTree.Element:
    common = _element(
        "CommonData",
        None,
        None,
        _element("MaxUnitID", None, str(max_id)),
        _element("PageArea", None, None, _element("PhysicalBox", None, f"0 0 {PAGE_WIDTH} {PAGE_HEIGHT}")),
        _element("PublicRes", None, "PublicRes.xml"),
        _element("DocumentRes", None, "DocumentRes.xml"),
    )
    pages = _element("Pages", None, None, _element("Page", {"ID": "1", "BaseLoc": "Pages/Page_0/Content.xml"}))
    return _element("Document", None, None, common, pages)


def certificate_lines(data: CertificateData) -> list[tuple[float, str, float, str, bool]]:
    """The page's text as (x mm, font id, size mm, text, centred) rows, top to bottom."""
    c = certificate_context(data)
    rows: list[tuple[float, str, float, str, bool]] = [
        (0, FONT_HEI, 5.0, data.station_name, True),
        (0, FONT_HEI, 8.0, "技术合同认定登记证明", True),
        (0, FONT_SONG, 4.2, f"登记编号　{data.registration_number}", True),
    ]
    edition = f"第 {data.version} 版"
    if data.supersedes_version:
        edition += f"　本版替代第 {data.supersedes_version} 版，原版本自本版签发之日起失效"
    rows.append((0, FONT_SONG, 3.2, edition, True))
    facts = [
        ("合同名称", data.title),
        ("合同类别", f"{data.category}　·　{data.subtype}"),
        ("技术领域", data.technical_field),
    ]
    for role, party in c["parties"]:
        facts.append((role, f"{party.name}（{party.identifier}，{party.area}）"))
    facts += [
        ("签订日期", c["signed_on"]),
        ("有效期限", f"{c['valid_from']} 至 {c['valid_until']}"),
        (
            "合同成交额",
            "待补正（签订时金额未确定，登记后补正）"
            if c["amount"] is None
            else f"¥{c['amount']}（{c['amount_words']}）",
        ),
        ("核定技术交易额", f"¥{c['technical_amount']}（{c['technical_amount_words']}）"),
        ("认定规则", data.rule_set),
        ("登记机构", f"{data.station_name}（机构代码 {data.station_code}）"),
        ("登记日期", c["registered_on"]),
    ]
    for label, value in facts:
        for index, piece in enumerate(_wrap(f"{label}　{value}", 44)):
            rows.append((22 if index == 0 else 36, FONT_SONG, 3.5, piece, False))
    rows.append((22, FONT_SONG, 3.5, "经认定，上述合同属于技术合同，已予登记。特此证明。", False))
    return rows


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` full-width characters (a Latin character counts half)."""
    lines, line, used = [], "", 0.0
    for char in text:
        cost = 0.5 if ord(char) < 0x2E80 else 1.0
        if used + cost > width:
            lines.append(line)
            line, used = "", 0.0
        line += char
        used += cost
    return [*lines, line] if line else lines


def _page_content(data: CertificateData) -> tuple[bytes, int]:
    """Content.xml of the one page, and the largest object id used."""
    ids = iter(range(10, 10_000))
    layer = _element("Layer", {"ID": next(ids), "Type": "Body"})
    layer.append(_frame(next(ids)))
    y = 30.0
    for x, font, size, text, centred in certificate_lines(data):
        width = PAGE_WIDTH - 2 * x if not centred else PAGE_WIDTH - 40
        left = 20 if centred else x
        layer.append(_text(next(ids), left, y, width, font, size, text, centred))
        y += size * 1.9 if centred else 7.0
    verify = [f"扫描二维码或访问以下地址核验：{data.verify_url}", f"核验码　{data.check_code}"]
    verify += ["本证明的现行状态（有效、已变更、已注销、已撤销）以核验结果为准。"]
    for index, text in enumerate(verify):
        layer.append(_text(next(ids), 22, 268 + index * 5, 170, FONT_SONG, 2.6, text, False))
    layer.append(_image(next(ids), 22, 230, 32))
    layer.append(_text(next(ids), 120, 240, 70, FONT_HEI, 4.0, data.station_name, False))
    issued = certificate_context(data)["issued_on"]
    layer.append(_text(next(ids), 120, 248, 70, FONT_SONG, 3.5, f"签发日期　{issued}", False))
    page = _element("Page", None, None, _element("Content", None, None, layer))
    return _xml(page), next(ids) - 1


def _frame(object_id: int) -> ElementTree.Element:
    path = _element("PathObject", {"ID": object_id, "Boundary": "10 10 190 277", "LineWidth": "0.8", "Stroke": "true"})
    path.append(_element("StrokeColor", {"Value": "200 22 29"}))
    path.append(_element("AbbreviatedData", None, "M 0 0 L 190 0 L 190 277 L 0 277 C"))
    return path


def _text(object_id, x, y, width, font, size, text, centred) -> ElementTree.Element:
    """A one-line TextObject whose baseline is at `y` mm (boundary from the line's top)."""
    used = sum(0.5 if ord(char) < 0x2E80 else 1.0 for char in text) * size
    start = max((width - used) / 2, 0) if centred else 0
    node = _element(
        "TextObject",
        {"ID": object_id, "Boundary": f"{x} {y - size:.2f} {width} {size * 1.4:.2f}", "Font": font, "Size": size},
    )
    node.append(_element("FillColor", {"Value": "0 0 0"}))
    node.append(_element("TextCode", {"X": f"{start:.2f}", "Y": f"{size:.2f}"}, text))
    return node


def _image(object_id, x, y, size) -> ElementTree.Element:
    return _element(
        "ImageObject",
        {
            "ID": object_id,
            "Boundary": f"{x} {y} {size} {size}",
            "CTM": f"{size} 0 0 {size} 0 0",
            "ResourceID": QR_IMAGE,
        },
    )


def _signature_xml(parts: dict[str, bytes], data: CertificateData, signed_at: dt.datetime) -> bytes:
    """Signature.xml: the SM3 digest of every protected part, where the stamp goes, and where the seal is."""
    references = _element("References", {"CheckMethod": SM3})
    for name in sorted(parts):
        if name in SIGNATURE_PARTS:
            continue
        checked = base64.b64encode(sm3_digest(parts[name])).decode()
        references.append(_element("Reference", {"FileRef": f"/{name}"}, None, _element("CheckValue", None, checked)))
    x, y, width, height = SEAL_BOX
    info = _element(
        "SignedInfo",
        None,
        None,
        _element("Provider", {"ProviderName": "TCR", "Company": data.station_name, "Version": "1"}),
        _element("SignatureMethod", None, SM2_WITH_SM3),
        _element("SignatureDateTime", None, signed_at.astimezone(dt.UTC).strftime("%Y%m%d%H%M%SZ")),
        references,
        _element("StampAnnot", {"ID": "1", "PageRef": "1", "Boundary": f"{x} {y} {width} {height}"}),
        _element("Seal", None, None, _element("BaseLoc", None, f"/{SEAL_FILE}")),
    )
    return _xml(_element("Signature", None, None, info, _element("SignedValue", None, f"/{SIGNED_VALUE}")))
