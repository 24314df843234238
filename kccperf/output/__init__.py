"""The output layer: one module per format that every download goes through.

``text`` makes stored text safe for a format (XML-illegal characters, formula escaping,
length limits); ``csv``, ``xlsx`` and ``docx`` write the files with the house conventions
(UTF-8 BOM, Europe/London times, bold frozen header rows, A4 pages); ``tables`` exports a
django-tables2 table through the CSV or XLSX writer.
"""
