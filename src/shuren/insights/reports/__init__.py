"""Monthly reports as documents: a format-free ReportDocument (document.py) and its renderers to
xlsx (xlsx.py) and PDF (pdf.py)."""
