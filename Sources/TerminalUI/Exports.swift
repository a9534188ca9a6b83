// Widgets measure and escape text with the same functions as every other printer.
@_exported import DisplayText
