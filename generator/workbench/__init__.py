"""The editors' workbench (`guong soan`): Decap CMS in the browser, served with a Python implementation of
Decap's local-backend ("proxy") protocol that checks every save by the rules of `guong check`."""
