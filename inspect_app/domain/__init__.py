"""Pure business rules: no Flask, no database session, no pandas."""
