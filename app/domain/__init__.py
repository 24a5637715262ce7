"""Pure domain rules of technology-contract registration: no Flask, no database."""
