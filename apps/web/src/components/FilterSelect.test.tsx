import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FilterSelect, type FilterOption } from './FilterSelect';

type Sort = 'newest' | 'name';
const SORTS: readonly FilterOption<Sort>[] = [
  { value: 'newest', label: 'Newest first' },
  { value: 'name', label: 'Name' },
];

afterEach(cleanup);

describe('FilterSelect', () => {
  it('is a compact select named by its label, showing the options in order and the current value', () => {
    render(<FilterSelect label="Sort" value="name" options={SORTS} onChange={vi.fn()} />);
    const select = screen.getByRole('combobox', { name: 'Sort' });
    expect(select).toHaveProperty('className', 'input input--filter');
    expect(select).toHaveProperty('value', 'name');
    expect(screen.getAllByRole('option').map((option) => [option.getAttribute('value'), option.textContent])).toEqual([
      ['newest', 'Newest first'],
      ['name', 'Name'],
    ]);
  });

  it('reports the chosen value, including an empty "all" one', () => {
    const onChange = vi.fn();
    const options: FilterOption<'' | 'admin'>[] = [
      { value: '', label: 'All' },
      { value: 'admin', label: 'Admin' },
    ];
    const { rerender } = render(<FilterSelect label="Filter by role" value="" options={options} onChange={onChange} />);
    fireEvent.change(screen.getByLabelText('Filter by role'), { target: { value: 'admin' } });
    expect(onChange).toHaveBeenLastCalledWith('admin');

    rerender(<FilterSelect label="Filter by role" value="admin" options={options} onChange={onChange} />);
    fireEvent.change(screen.getByLabelText('Filter by role'), { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith('');
  });
});
