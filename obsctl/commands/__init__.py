"""One module per `obsctl` command; each exposes `register(app)`. `obsctl.cli.COMMANDS` lists them."""
