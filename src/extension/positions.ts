// The one place where sidecar offsets (code points) become VS Code positions (UTF-16) and back.
import * as vscode from 'vscode';
import { OffsetMap } from '../core/model/offsets';
import { Span } from '../core/model/edits';

export function toRange(doc: vscode.TextDocument, offsets: OffsetMap, span: Span): vscode.Range {
  return new vscode.Range(doc.positionAt(offsets.toUtf16(span.start)), doc.positionAt(offsets.toUtf16(span.end)));
}

export function toSpan(doc: vscode.TextDocument, offsets: OffsetMap, range: vscode.Range): Span {
  return { start: offsets.toCodePoint(doc.offsetAt(range.start)), end: offsets.toCodePoint(doc.offsetAt(range.end)) };
}

export function toCodePoint(doc: vscode.TextDocument, offsets: OffsetMap, pos: vscode.Position): number {
  return offsets.toCodePoint(doc.offsetAt(pos));
}

/** A content change of an edit as code points of the text before it. */
export function changeToCodePoints(before: OffsetMap, change: vscode.TextDocumentContentChangeEvent): { start: number; end: number; insertedLength: number } {
  const start = before.toCodePoint(change.rangeOffset);
  const end = before.toCodePoint(change.rangeOffset + change.rangeLength);
  return { start, end, insertedLength: new OffsetMap(change.text).codePointLength };
}
