"""Sign-up's pages: ``public`` (sign up, reset a password), ``portal`` (link, change number),
``console`` (the staff's queue)."""
