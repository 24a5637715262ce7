"""PAdES signing of certificate PDFs with a station's key (B-B, or B-T with an RFC 3161 timestamp)."""

from __future__ import annotations

from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR as PYHANKO_PRODUCER
from pyhanko.sign import fields, signers, timestamps

SIGNATURE_FIELD = "TCR-Station-Signature"
TIMESTAMP_TIMEOUT_SECONDS = 10
# Room for the CMS container beyond its certificates: signed attributes, the ECDSA (or RSA-4096) signature value
# and the ASN.1 framing take well under this.
CMS_OVERHEAD_BYTES = 1536


def sign_pdf(
    pdf: bytes, signer: signers.Signer, *, reason: str, location: str, timestamp_url: str | None = None
) -> bytes:
    """The PDF with one invisible PAdES signature appended as an incremental update.

    Without `timestamp_url` nothing touches the network (no revocation data is fetched or embedded);
    with it, the signature gets an RFC 3161 signature timestamp (PAdES B-T).
    """
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    _align_producer(writer)
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=False,
        use_pades_lta=False,
    )
    timestamper = (
        timestamps.HTTPTimeStamper(timestamp_url, timeout=TIMESTAMP_TIMEOUT_SECONDS) if timestamp_url else None
    )
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=signer,
        timestamper=timestamper,
        # An invisible field (zero-size box) on the first page: the visible seal is part of the page itself.
        new_field_spec=fields.SigFieldSpec(SIGNATURE_FIELD, on_page=0),
    )
    output = BytesIO()
    # Without a timestamp the container's size is known in advance; reserving it directly spares pyHanko a
    # dry-run signature (about a third of the signing time). With one, pyHanko estimates (the token varies).
    reserved = None if timestamper else _bytes_reserved(signer)
    pdf_signer.sign_pdf(writer, output=output, bytes_reserved=reserved)
    return output.getvalue()


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    """Keep the document information and the XMP packet in agreement, as PDF/A requires.

    pyHanko rewrites the XMP producer as its own name but appends its name to the information dictionary's
    producer; with the same name in both from the start, it leaves them equal.
    """
    info = writer.trailer["/Info"].get_object() if "/Info" in writer.trailer else None
    if isinstance(info, generic.DictionaryObject):
        info["/Producer"] = generic.TextStringObject(PYHANKO_PRODUCER)
        writer.update_container(info)


def _bytes_reserved(signer: signers.Signer) -> int:
    """Hex digits to reserve for a CMS container that embeds the signer's certificate and chain."""
    certificates = [signer.signing_cert, *signer.cert_registry]
    der_length = sum(len(certificate.dump()) for certificate in certificates)
    return 2 * (der_length + CMS_OVERHEAD_BYTES)
