from sessionsketch.cli import entry

entry()
