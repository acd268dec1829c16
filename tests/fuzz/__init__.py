"""The fuzz suite: hostile requests against every endpoint of core and every installed plugin."""
