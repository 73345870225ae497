from nkcp.cli import app

app()
