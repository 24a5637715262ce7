"""Certificates of registration: data, rendering (WeasyPrint, PDF/A-3b), the PKI, PAdES signing, verification.

Everything here is a pure function of its inputs (no database, no Flask): the certificate service assembles a
`data.CertificateData`, renders it, signs it and stores the bytes.
"""
