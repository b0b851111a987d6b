import { NavLink } from 'react-router';
import './admin-console.css';

/** The console's sections. */
export function AdminTabs() {
  return (
    <nav className="filters admin-tabs" aria-label="Console">
      <NavLink to="/admin/tenants" className="filter">
        Organisations
      </NavLink>
      <NavLink to="/admin/usage" className="filter">
        Usage
      </NavLink>
      <NavLink to="/admin/migrations" className="filter">
        Migrations
      </NavLink>
    </nav>
  );
}
