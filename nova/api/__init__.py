"""nova's REST APIs."""
