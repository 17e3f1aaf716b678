# Correio webmail (Next.js). Build from the repository root:
#   docker build -f docker/web.Dockerfile -t correio-web .
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY libs ./libs
COPY apps/web ./apps/web
COPY apps/api/package.json ./apps/api/package.json
RUN npm ci --no-audit --no-fund && npx turbo run build --filter=@correio/web... && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 CORREIO_API_URL=http://api:3001
WORKDIR /app
COPY --from=build /app /app
USER node
EXPOSE 3000
CMD ["node", "node_modules/next/dist/bin/next", "start", "apps/web", "-p", "3000", "-H", "0.0.0.0"]
