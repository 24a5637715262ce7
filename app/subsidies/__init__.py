"""Subsidy programmes of the city fund and the claims on them (市级财政专项补贴)."""
