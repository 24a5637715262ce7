"""The pages' shared machinery: the filing form (web/forms.py) and every template helper (web/templating.py)."""
