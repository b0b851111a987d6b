/** One choice of a filter select: the value it sets and the text shown for it. */
export interface FilterOption<T extends string> {
  value: T;
  label: string;
}

/** A compact select of a list's filter toolbar, labelled by `aria-label` since the toolbar shows no labels. */
export function FilterSelect<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: readonly FilterOption<T>[];
  onChange: (value: T) => void;
}) {
  return (
    <select
      className="input input--filter"
      aria-label={label}
      value={value}
      // The browser only reports values of the options given, all of type T.
      onChange={(e) => onChange(e.target.value as T)}
    >
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}
