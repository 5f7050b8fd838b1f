// Courtesy titles say nothing about who the person is; generational suffixes (Jr, Sr) do, so they stay.
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr']);

function words(value: string): string[] {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[.'’]/g, '')
    .split(/[^\p{L}\p{N}&]+/u)
    .filter((word) => word !== '');
}

const withoutTitle = (list: string[]): string[] =>
  list[0] !== undefined && TITLES.has(list[0]) ? list.slice(1) : list;

/** Lowercase words without accents, punctuation or titles: "Mrs. Zoë  O'Brien" → "zoe obrien". */
export function normalizePersonName(first: string, last: string): string {
  return [...withoutTitle(words(first)), ...words(last)].join(' ');
}

/** "Jane Doe" from its parts, whitespace tidied, the customer's own casing kept. */
export function customerDisplayName(first: string, last: string): string {
  return [first, last]
    .map((part) => part.trim().replace(/\s+/g, ' '))
    .filter((part) => part !== '')
    .join(' ');
}

// "Jane & John Doe" names a household; each given name before the shared surname is a member.
function householdMembers(given: string[]): string[][] {
  const members: string[][] = [[]];
  for (const word of given) {
    if (word === '&' || word === 'and') members.push([]);
    else members.at(-1)?.push(word);
  }
  return members.filter((member) => member.length > 0);
}

/** Given names first, whatever order the candidate is stored in ("DOE, JANE" → jane doe). */
function candidateForms(candidateName: string): string[][] {
  const comma = candidateName.indexOf(',');
  if (comma >= 0) {
    return [
      withoutTitle([...words(candidateName.slice(comma + 1)), ...words(candidateName.slice(0, comma))]),
    ];
  }
  const plain = withoutTitle(words(candidateName));
  return [plain];
}

/**
 * Does a ServiceTitan customer name ("Jane Doe", "DOE, JANE", "Jane M. Doe", "Jane & John Doe") name the
 * order's customer? The first given name and the whole surname must agree; middle names may differ, since
 * one side often has an initial the other lacks. The surname is compared without spaces so "De la Cruz"
 * and "Delacruz" agree.
 */
export function namesMatch(candidateName: string, firstName: string, lastName: string): boolean {
  const first = withoutTitle(words(firstName))[0];
  const last = words(lastName).join('');
  if (first === undefined || last === '') return false;

  return candidateForms(candidateName).some((candidate) => {
    for (let split = 1; split < candidate.length; split++) {
      if (candidate.slice(split).join('') !== last) continue;
      const given = candidate.slice(0, split);
      if (householdMembers(given).some((member) => member[0] === first)) return true;
    }
    // Some records are stored surname first without a comma ("DOE JANE").
    const reversed = candidate.slice(0, -1).join('') === last && candidate.at(-1) === first;
    return reversed;
  });
}
