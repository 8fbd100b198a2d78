"""File in, validated plain rows and row errors out. pandas lives here and in reports/ only."""
