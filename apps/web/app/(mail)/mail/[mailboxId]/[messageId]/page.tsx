/**
 * The reading pane is rendered by the view's layout from the URL (components/mail/reading-slot.tsx),
 * so that opening a row needs no server round trip; this route only makes the URL valid on a reload.
 */
export default function ReadingRoute() {
  return null;
}
