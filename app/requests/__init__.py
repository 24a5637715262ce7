"""Requests after registration: the applicant asks a change, a supplement of an open amount or a cancellation,
the station decides."""
