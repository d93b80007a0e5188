"""The matching officer's console."""
