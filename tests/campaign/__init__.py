"""The outside-in stress campaign (issue 9): hostile inputs through the whole command line."""
