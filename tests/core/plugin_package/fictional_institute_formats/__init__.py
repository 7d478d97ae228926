"""A fictional institute's additions to sessionsketch (a test plugin; see pyproject.toml)."""
