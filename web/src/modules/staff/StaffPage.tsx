export default function StaffPage() { return <div>staff</div>; }
