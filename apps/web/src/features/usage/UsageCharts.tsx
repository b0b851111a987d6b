import type { UsageDay } from '@tenantry/shared';
import type { ReactNode } from 'react';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { byteTicks, dayAxis, formatBytes, formatCount, formatFullDay, type ChartDay } from './usage-format';

// The palette of styles.css (SVG attributes cannot read CSS variables in every browser).
const PRIMARY = '#1f3a8a';
const DANGER = '#b42318';
const SUCCESS = '#067647';
const AXIS = '#5b6472';
const GRID = '#e2e5ea';
const HEIGHT = 240;

const asNumber = (value: unknown): number => (typeof value === 'number' ? value : Number(value) || 0);
const countTick = (value: unknown) => formatCount(asNumber(value));
const dayLabel = (label: ReactNode) => (typeof label === 'string' ? formatFullDay(label) : label);

const axisProps = { stroke: AXIS, fontSize: 12, tickLine: false } as const;

function ChartFrame({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <figure className="usage-chart" data-testid={testId}>
      <figcaption className="usage-chart__title">{title}</figcaption>
      <div className="usage-chart__plot">{children}</div>
    </figure>
  );
}

/** The days of a range as three charts: traffic, active users, and members with storage. */
export function UsageCharts({ days }: { days: ChartDay<UsageDay>[] }) {
  const storageTicks = byteTicks(Math.max(0, ...days.map((d) => d.storageBytes ?? 0)));
  // An organisation created today has one point per gauge, which no line joins: it is drawn as a dot.
  const gaugeDot = days.filter((d) => d.members !== null).length < 2 ? { r: 3 } : false;
  const axis = dayAxis(days.map((d) => d.day));
  // Calendar ticks on every chart; on a narrow one every second (third…) is kept, evenly, so none collide.
  const xAxisProps = {
    dataKey: 'day',
    ticks: axis.ticks,
    interval: axis.ticks ? 'equidistantPreserveStart' : 'preserveEnd',
    tickFormatter: axis.format,
    minTickGap: 16,
    ...axisProps,
  } as const;
  // Beyond a month a day is a few pixels wide or less, too thin for bars: the traffic is drawn as areas.
  const dense = axis.ticks !== undefined;
  const trafficTooltip = <Tooltip labelFormatter={dayLabel} formatter={(value) => formatCount(asNumber(value))} />;
  return (
    <div className="usage-charts">
      <ChartFrame title="API requests and errors per day" testId="chart-requests">
        <ResponsiveContainer width="100%" height={HEIGHT}>
          {dense ? (
            <AreaChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={GRID} vertical={false} />
              <XAxis {...xAxisProps} />
              <YAxis allowDecimals={false} tickFormatter={countTick} width={48} {...axisProps} />
              {trafficTooltip}
              <Legend iconType="square" itemSorter={null} />
              <Area
                type="linear"
                dataKey="apiRequests"
                name="Requests"
                stroke={PRIMARY}
                fill={PRIMARY}
                fillOpacity={0.2}
              />
              <Area type="linear" dataKey="apiErrors" name="Errors" stroke={DANGER} fill={DANGER} fillOpacity={0.3} />
            </AreaChart>
          ) : (
            <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={GRID} vertical={false} />
              <XAxis {...xAxisProps} />
              <YAxis allowDecimals={false} tickFormatter={countTick} width={48} {...axisProps} />
              {trafficTooltip}
              <Legend iconType="square" itemSorter={null} />
              <Bar dataKey="apiRequests" name="Requests" fill={PRIMARY} radius={[2, 2, 0, 0]} />
              <Bar dataKey="apiErrors" name="Errors" fill={DANGER} radius={[2, 2, 0, 0]} />
            </BarChart>
          )}
        </ResponsiveContainer>
      </ChartFrame>
      <ChartFrame title="Active users per day" testId="chart-active-users">
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <AreaChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis {...xAxisProps} />
            <YAxis allowDecimals={false} tickFormatter={countTick} width={48} {...axisProps} />
            <Tooltip labelFormatter={dayLabel} formatter={(value) => formatCount(asNumber(value))} />
            <Area
              type="monotone"
              dataKey="activeUsers"
              name="Active users"
              stroke={SUCCESS}
              fill={SUCCESS}
              fillOpacity={0.15}
            />
          </AreaChart>
        </ResponsiveContainer>
      </ChartFrame>
      <ChartFrame title="Members and storage" testId="chart-members-storage">
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <LineChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis {...xAxisProps} />
            <YAxis yAxisId="members" allowDecimals={false} tickFormatter={countTick} width={48} {...axisProps} />
            <YAxis
              yAxisId="storage"
              orientation="right"
              // Round binary sizes; an empty organisation's axis reads up to 1 MB, not "4 B".
              ticks={storageTicks}
              domain={[0, storageTicks[storageTicks.length - 1] ?? 0]}
              tickFormatter={(value: unknown) => formatBytes(asNumber(value))}
              width={64}
              {...axisProps}
            />
            <Tooltip
              labelFormatter={dayLabel}
              formatter={(value, _name, item) =>
                item.dataKey === 'storageBytes' ? formatBytes(asNumber(value)) : formatCount(asNumber(value))
              }
            />
            <Legend iconType="plainline" itemSorter={null} />
            <Line
              yAxisId="members"
              // A day's count is drawn over the step into that day: with stepAfter the last day (today) was a
              // bare vertical edge, so a new organisation's one member never showed.
              type="stepBefore"
              dataKey="members"
              name="Members"
              stroke={PRIMARY}
              strokeWidth={2}
              dot={gaugeDot}
            />
            <Line
              yAxisId="storage"
              type="monotone"
              dataKey="storageBytes"
              name="Storage"
              stroke="#b54708"
              strokeWidth={2}
              dot={gaugeDot}
            />
          </LineChart>
        </ResponsiveContainer>
      </ChartFrame>
    </div>
  );
}
