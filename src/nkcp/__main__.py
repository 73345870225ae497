from nkcp.cli import app

app(prog_name="nkcp")
