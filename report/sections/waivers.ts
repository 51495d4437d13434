import { daysBetween, parseDay } from '../../model/dates.js';
import type {
  ReportWaiverNotice,
  ReportWaiverNotices,
  WaiverNotice,
  WaiverNotices,
} from '../../model/reportView.js';
import { plural } from './labels.js';
import { compareText } from './order.js';

function waiverNotice(notice: WaiverNotice, asOf: string, checkTitle: string): ReportWaiverNotice {
  const days = parseDay(asOf) && parseDay(notice.expires) ? daysBetween(asOf, notice.expires) : Number.NaN;
  let daysLabel: string;
  if (Number.isNaN(days)) daysLabel = `expiry date ${notice.expires} is not a valid day`;
  else if (days < 0) daysLabel = `expired ${plural(-days, 'day')} ago`;
  else if (days === 0) daysLabel = 'expires today';
  else daysLabel = `expires in ${plural(days, 'day')}`;
  return {
    check: notice.check,
    checkTitle,
    selector: notice.selector,
    owner: notice.owner,
    reason: notice.reason,
    expires: notice.expires,
    days,
    daysLabel,
  };
}

function compareNotices(a: ReportWaiverNotice, b: ReportWaiverNotice): number {
  return (
    compareText(a.expires, b.expires) ||
    compareText(a.check, b.check) ||
    compareText(a.selector, b.selector) ||
    compareText(a.owner, b.owner)
  );
}

/** Waivers that expired and waivers about to, each list by expiry day, with days counted from `asOf`. */
export function buildWaiverNotices(
  notices: WaiverNotices,
  asOf: string,
  titleOf: (checkId: string) => string,
): ReportWaiverNotices {
  const expired = notices.expired
    .map((notice) => waiverNotice(notice, asOf, titleOf(notice.check)))
    .sort(compareNotices);
  const expiringSoon = notices.expiringSoon
    .map((notice) => waiverNotice(notice, asOf, titleOf(notice.check)))
    .sort(compareNotices);
  return { any: expired.length + expiringSoon.length > 0, expired, expiringSoon };
}
