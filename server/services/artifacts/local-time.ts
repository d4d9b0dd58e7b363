/**
 * Local wall-clock formatting shared by the workbook file name and the "Run" sheet, so both show the
 * same instant the same way. "Local" is the time zone of this Node process (TZ respected).
 */

export interface LocalDateTimeParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function assertValidDate(date: Date): void {
  // An Invalid Date would otherwise leak "NaN" into a public file name.
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid date');
}

/** Zero-padded local calendar fields of `date`. */
export function localDateTimeParts(date: Date): LocalDateTimeParts {
  assertValidDate(date);
  return {
    year: pad(date.getFullYear(), 4),
    month: pad(date.getMonth() + 1),
    day: pad(date.getDate()),
    hour: pad(date.getHours()),
    minute: pad(date.getMinutes()),
    second: pad(date.getSeconds()),
  };
}

/** ISO 8601 local time with its UTC offset, e.g. `2024-01-02T08:34:05+05:30`. */
export function toLocalIsoString(date: Date): string {
  const p = localDateTimeParts(date);
  const offsetMinutes = -date.getTimezoneOffset();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`;
}
