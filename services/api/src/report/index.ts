/** The programme report: pure aggregation, and its charts as server-rendered SVG. */
export {
  aggregateReport,
  stagesFromDecisions,
  DECISION_STAGES,
  FUNNEL_STEPS,
  type DecisionStage,
  type StageChange,
  type ShownMatch,
  type ReportNeed,
  type ReportCompany,
  type ReportInput,
  type ProgrammeReport,
  type Count,
  type FunnelRow,
  type FunnelStep,
  type SectorConversion,
  type MonthActivity,
} from './aggregate.js';
export { renderReportCharts, renderChartFigure, type ReportChart, type ChartId } from './charts.js';
export { reportMessages, type ReportMessages } from './i18n.js';
