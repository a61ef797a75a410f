// Offsets counted in UTF-16 code units (doccano, Label Studio) into code points.
import { OffsetMap } from '../../model/offsets';

/** The code point offset of a UTF-16 offset, or undefined when it splits a surrogate pair or is past the end. */
export function utf16ToCodePoint(offsets: OffsetMap, utf16: number): number | undefined {
  if (utf16 > offsets.utf16Length) return undefined;
  const cp = offsets.toCodePoint(utf16);
  return offsets.toUtf16(cp) === utf16 ? cp : undefined;
}
