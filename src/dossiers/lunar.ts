/**
 * Vietnamese lunisolar calendar (âm lịch) at UTC+7, after the published astronomical method of Hồ Ngọc
 * Đức (new moons and solar terms from Meeus' series). Used to compute the lunar-based holidays (Tết,
 * Giỗ Tổ Hùng Vương 10/3) of a year before the government announces its calendar.
 */

const TZ = 7
const { floor, sin, PI } = Math

/** Julian day number of a Gregorian date. */
function jdFromDate (dd: number, mm: number, yy: number): number {
  const a = floor((14 - mm) / 12)
  const y = yy + 4800 - a
  const m = mm + 12 * a - 3
  return dd + floor((153 * m + 2) / 5) + 365 * y + floor(y / 4) - floor(y / 100) + floor(y / 400) - 32045
}

/** Gregorian date (YYYY-MM-DD) of a Julian day number. */
function jdToIso (jd: number): string {
  const a = jd + 32044
  const b = floor((4 * a + 3) / 146097)
  const c = a - floor((b * 146097) / 4)
  const d = floor((4 * c + 3) / 1461)
  const e = c - floor((1461 * d) / 4)
  const m = floor((5 * e + 2) / 153)
  const day = e - floor((153 * m + 2) / 5) + 1
  const month = m + 3 - 12 * floor(m / 10)
  const year = b * 100 + d - 4800 + floor(m / 10)
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** Julian date of the k-th new moon after 1900-01-01. */
function newMoon (k: number): number {
  const T = k / 1236.85
  const T2 = T * T
  const T3 = T2 * T
  const dr = PI / 180
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3
  jd1 += 0.00033 * sin((166.56 + 132.87 * T - 0.009173 * T2) * dr)
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3
  let c1 = (0.1734 - 0.000393 * T) * sin(M * dr) + 0.0021 * sin(2 * dr * M)
  c1 = c1 - 0.4068 * sin(Mpr * dr) + 0.0161 * sin(dr * 2 * Mpr)
  c1 = c1 - 0.0004 * sin(dr * 3 * Mpr)
  c1 = c1 + 0.0104 * sin(dr * 2 * F) - 0.0051 * sin(dr * (M + Mpr))
  c1 = c1 - 0.0074 * sin(dr * (M - Mpr)) + 0.0004 * sin(dr * (2 * F + M))
  c1 = c1 - 0.0004 * sin(dr * (2 * F - M)) - 0.0006 * sin(dr * (2 * F + Mpr))
  c1 = c1 + 0.0010 * sin(dr * (2 * F - Mpr)) + 0.0005 * sin(dr * (2 * Mpr + M))
  const deltat = T < -11
    ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
    : -0.000278 + 0.000265 * T + 0.000262 * T2
  return jd1 + c1 - deltat
}

const newMoonDay = (k: number): number => floor(newMoon(k) + 0.5 + TZ / 24)

/** Sun's apparent longitude (radians, 0..2π) at Julian date `jdn`. */
function sunLongitude (jdn: number): number {
  const T = (jdn - 2451545.0) / 36525
  const T2 = T * T
  const dr = PI / 180
  const M = 357.52910 + 35999.05030 * T - 0.0001559 * T2 - 0.00000048 * T * T2
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2
  let DL = (1.914600 - 0.004817 * T - 0.000014 * T2) * sin(dr * M)
  DL = DL + (0.019993 - 0.000101 * T) * sin(dr * 2 * M) + 0.000290 * sin(dr * 3 * M)
  let L = (L0 + DL) * dr
  L = L - PI * 2 * floor(L / (PI * 2))
  return L
}

/** The solar-term sector (0..11) at the start of local day `dayNumber`. */
const sunSector = (dayNumber: number): number => floor((sunLongitude(dayNumber - 0.5 - TZ / 24) / PI) * 6)

/** Julian day of the first day of lunar month 11 (the month containing the winter solstice) of `yy`. */
function lunarMonth11 (yy: number): number {
  const off = jdFromDate(31, 12, yy) - 2415021
  const k = floor(off / 29.530588853)
  const nm = newMoonDay(k)
  return sunSector(nm) >= 9 ? newMoonDay(k - 1) : nm
}

function leapMonthOffset (a11: number): number {
  const k = floor((a11 - 2415021.076998695) / 29.530588853 + 0.5)
  let last = 0
  let i = 1
  let arc = sunSector(newMoonDay(k + i))
  do {
    last = arc
    i++
    arc = sunSector(newMoonDay(k + i))
  } while (arc !== last && i < 14)
  return i - 1
}

/** Julian day of the first day of lunar month `month` (1..12, not leap) of lunar year `year`. */
function monthStart (month: number, year: number): number {
  const [a11, b11] = month < 11
    ? [lunarMonth11(year - 1), lunarMonth11(year)]
    : [lunarMonth11(year), lunarMonth11(year + 1)]
  const k = floor(0.5 + (a11 - 2415021.076998695) / 29.530588853)
  let off = month - 11
  if (off < 0) off += 12
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11)
    if (off >= leapOff) off += 1
  }
  return newMoonDay(k + off)
}

/** The Gregorian date (YYYY-MM-DD) of lunar day `day` of lunar month `month` (not a leap month) of `year`. */
export function lunarToSolar (day: number, month: number, year: number): string {
  return jdToIso(monthStart(month, year) + day - 1)
}

/** Mùng 1 Tết (1/1 âm lịch) of the lunar year starting in Gregorian year `year`. */
export const tetDate = (year: number): string => lunarToSolar(1, 1, year)

/** Giỗ Tổ Hùng Vương (10/3 âm lịch) in Gregorian year `year`. */
export const hungKingsDate = (year: number): string => lunarToSolar(10, 3, year)

/** The number of the last day of tháng Chạp before Tết `year`: 29 or 30. */
export function lastDayOfChap (year: number): number {
  const tet = jdFromDate(...(tetDate(year).split('-').map(Number).reverse() as [number, number, number]))
  return tet - monthStart(12, year - 1)
}
