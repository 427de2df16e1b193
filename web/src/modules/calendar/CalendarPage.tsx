export default function CalendarPage() { return <div>calendar</div>; }
