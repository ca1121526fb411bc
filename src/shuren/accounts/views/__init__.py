"""The accounts app's pages: account.py (signing in and one's own account), admin.py (the security
administrator's pages: users and their role grants)."""
