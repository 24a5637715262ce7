"""Organisation members: the API (api.py) and the pages (views.py) over app.accounts.services.members."""
