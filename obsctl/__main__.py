from obsctl.cli import app

app(prog_name="obsctl")
