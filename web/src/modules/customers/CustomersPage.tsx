export default function CustomersPage() { return <div>customers</div>; }
