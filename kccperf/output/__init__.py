"""The output layer: one module per format that every download goes through.

``text`` makes stored text safe for a format (XML-illegal characters, formula escaping,
length limits); ``conventions`` holds the spreadsheet conventions (Yes/No, Europe/London
times, ISO and real Excel dates, column widths, the "About" sheet and file names naming the
report, quarter and extraction time); ``csv``, ``xlsx`` and ``docx`` write the files with them
(UTF-8 BOM, bold frozen header rows, A4 pages); ``tables`` exports a django-tables2 table
through the CSV or XLSX writer.
"""
